from cadre.cli import main

main()
