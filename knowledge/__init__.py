"""Policy knowledge base: versioned policy documents, Chroma store, hybrid retrieval."""
