from cadre.matching.cli import exit_now, main

exit_now(main())
