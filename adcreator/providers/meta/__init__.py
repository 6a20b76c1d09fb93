"""Meta performance sources (ARCHITECTURE "Providers"): the protocol and its two adapters.

- `contracts` — the pydantic models that cross the boundary and the `MetaPerformanceSource`
  protocol both adapters answer;
- `graph` — the Marketing API through the official `facebook-business` SDK;
- `simulated` (on the pure model in `market`) — the offline default, a seeded market.

Nothing here imports Django: settings arrive as constructor arguments.
"""
