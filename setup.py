"""Package layout that pyproject.toml cannot express: cypher/ (top level, one file per statement) ships inside
the wheel as the data package navab_graph._cypher, so a non-editable install finds its statements."""
from setuptools import find_namespace_packages, find_packages, setup

CYPHER = ["navab_graph._cypher"] + [f"navab_graph._cypher.{p}" for p in find_namespace_packages("cypher")]

setup(
    packages=find_namespace_packages(".", include=["navab_graph", "navab_graph.*"], exclude=["*.__pycache__"])
    + find_packages("loaders", include=["navab_loaders", "navab_loaders.*"]) + CYPHER,
    package_dir={"navab_loaders": "loaders/navab_loaders", "navab_graph._cypher": "cypher"},
    package_data={"navab_graph": ["prompts/*.txt"], **{p: ["*.cypher"] for p in CYPHER}},
)
