"""Reading and cleaning: corpus files become normalised ``Article`` objects (or rejections)."""
