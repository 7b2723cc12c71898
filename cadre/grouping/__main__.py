"""`python -m cadre.grouping INPUT.csv --size K --out GROUPS.csv`: group forming without Django start-up."""

from cadre.grouping.command import main_and_exit

main_and_exit()
