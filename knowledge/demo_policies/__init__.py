"""The demo shop's own policy documents (Markdown with front matter), loaded on first run."""
