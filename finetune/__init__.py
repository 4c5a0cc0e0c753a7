"""Training pipelines that produce kefu's models (front-tier NLU and the generation model)."""
