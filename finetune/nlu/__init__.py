"""The front-tier NLU training pipeline: corpus generation (corpus.py), augmentation, training (train.py)."""
