"""Battery passport reference data: the Battery Pass v1.2 attribute longlist."""
