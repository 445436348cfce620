"""How well the advisor does, measured: ``advisor eval`` (labelled questions) and ``advisor redteam``
(the injection suite in ``attacks/``, with ``ObedientChatModel``, a chat model that obeys everything)."""
