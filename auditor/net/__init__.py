"""The only code that does HTTP or runs git; nothing here imports from above (models, config, errors, dist only).

context     RunContext: one per command; owns the clients, the cache backend, the fact memo, the deadline, counters
http        HttpClient: cached GETs/POSTs with retries, Retry-After, rate limits; answers data or Unknown
cache       cache lifetimes per service/endpoint and the requests-cache backend
ratelimit   rate budgets, circuit breakers, Retry-After parsing, the injectable clock
tokens      credentials bound to one origin
memo        FactMemo: parsed facts (PyPI projects, core metadata) in SQLite
pypi, github, gitlab, scorecard, depsdev, lazy_wheel: one client per service
git         clones, fetches and log reading (the one place git runs)
"""
