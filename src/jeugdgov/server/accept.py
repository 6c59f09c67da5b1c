"""Reading an HTTP Accept header, for the routes that negotiate what they answer."""

from __future__ import annotations


def media_ranges(accept: str) -> list[str]:
    """The media ranges of an Accept header (lower case, without parameters), the most preferred
    first: by quality, then in the order given; ranges with q=0 (or an unreadable q) left out."""
    ranges = []
    for position, part in enumerate(accept.split(",")):
        media, *options = (piece.strip() for piece in part.split(";"))
        quality = 1.0
        for option in options:
            key, _, value = option.partition("=")
            if key.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if media and quality > 0:
            ranges.append((-quality, position, media.lower()))
    return [media for _, _, media in sorted(ranges)]
