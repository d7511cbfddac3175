import sys

from cnpark.cli import main

sys.exit(main())
