"""Demo content for `manage.py seed_demo`: a brand, its catalog and drawn images (no Django here)."""
