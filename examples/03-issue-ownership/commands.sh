#!/usr/bin/env bash
# Ownership / Sharing (shareable Issue resource block; owner may add readers)
# The seed's CLI example, with `oso-cloud` replaced by `boreal`.
set -euo pipefail
boreal tell has_role User:bob "owner" Issue:bug
boreal authorize User:bob "add_reader_role" Issue:bug
boreal tell has_role User:alice "reader" Issue:bug
boreal authorize User:alice "read" Issue:bug
