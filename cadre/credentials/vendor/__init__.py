"""Open Badges 3.0 and W3C Verifiable Credentials files, copied verbatim (see README.md). A package so
that setuptools ships the JSON files beside it; read them with `cadre.credentials.openbadges`."""
