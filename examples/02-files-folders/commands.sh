#!/usr/bin/env bash
# Files / Folders (resource hierarchy: permissions on a container apply to its contents, recursively)
# The seed's CLI example, with `oso-cloud` replaced by `boreal`.
set -euo pipefail
boreal tell has_relation User:bob container Org:oso
boreal tell has_role User:alice reader Org:oso
boreal authorize User:alice read User:bob
