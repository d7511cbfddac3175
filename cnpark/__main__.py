import sys

from cnpark.cli.commands import main

sys.exit(main())
