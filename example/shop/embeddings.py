"""A small, deterministic text embedding for the demo: no model to download.

Words the demo's catalogue uses for the same idea share a concept (drinks,
writing); every other word lands on a hashed dimension of its own. The vector
is the normalised sum over the words, so its dot product with another is
their cosine similarity: texts about the same ideas score close to 1 even
when they share no word, which is what semantic search shows.
"""

import hashlib
import math
import re

DIMENSIONS = 8
CONCEPTS = {
    "drink": ("tea", "coffee", "teapot", "mug", "cup", "cups", "brews", "hot", "drink"),
    "writing": ("pen", "ink", "notes", "notebook", "paper", "sketches", "write"),
}
_CONCEPT_OF = {word: i for i, words in enumerate(CONCEPTS.values()) for word in words}
_HASHED = DIMENSIONS - len(CONCEPTS)


def embed(text):
    """The unit-length vector (a list of DIMENSIONS floats) of ``text``."""
    vector = [0.0] * DIMENSIONS
    for word in re.findall(r"[a-z]+", text.lower()):
        if word in _CONCEPT_OF:
            vector[_CONCEPT_OF[word]] += 1.0
        else:
            digest = hashlib.blake2b(word.encode(), digest_size=2).digest()
            vector[len(CONCEPTS) + digest[0] % _HASHED] += 0.25
    norm = math.sqrt(sum(x * x for x in vector)) or 1.0
    return [round(x / norm, 6) for x in vector]
