# No tables of its own. The module exists so that `migrate` sends this app post_migrate
# (Django skips apps without a models module), which creates the cache table (apps.py).
