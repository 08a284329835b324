"""Reading and writing the e-mobility input templates (BOM, suppliers, sales, scenario)."""
