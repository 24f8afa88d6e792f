"""Reading and cleaning: corpus files become normalised ``Article`` objects (or rejections).

``corpus`` reads files (HTML, text, JSON Lines, gzip) and hands each release to ``clean``,
whose ``clean_html``, ``clean_text`` and ``clean_record`` fill a ``draft`` from ``html`` or
``records`` and from page text (``markup`` left in it goes, ``rejoin`` its lines, ``scorer``
picks the main run by the ``lines`` classification), then ``finish`` it: ``trailers``,
``teasers``, ``contacts``, ``repeats`` with ``captions``, ``dates`` and ``language``. ``text``
normalises; ``article`` is the result.
"""
