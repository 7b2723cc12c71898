"""Group forming from files: `cadre form-groups INPUT.csv --size K --out GROUPS.csv`.

No database and no Django needed: `services.run` does the work, `command.main` is the light
entry point (`python -m cadre.grouping`), and the management command `form_groups` wraps the
same function for `cadre form-groups`. See docs/group-forming.md."""
