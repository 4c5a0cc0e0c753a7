"""`python -m finetune`: the training pipeline's command line (see finetune/cli.py)."""

from finetune.cli import main

raise SystemExit(main())
