"""Language: Vietnamese writing rules (:mod:`.vn`: dates, numbers, upper case, NFC, timeframes) and the
user's language for messages (:mod:`.i18n`). The lowest layer: it imports nothing else of vanban."""
