"""Reading and writing the smelter registry and national scenario files."""
