"""Pipeline stages: one module per stage; each takes a GraphStore and Settings, never a driver."""
