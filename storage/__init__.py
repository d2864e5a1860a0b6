"""Team storage: users, private datasets with versions, shares and an audit trail.

One interface (``storage.store.Store``) over SQLite (default, a file in the workspace) or
PostgreSQL (``BORDER_MAP_DATABASE_URL``); the permission rules live in
``storage.permissions``. No Streamlit here: the app calls it.
"""
