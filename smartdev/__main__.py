from smartdev.cli import main

raise SystemExit(main())
