"""`icpolicy serve`: the decision service (JSON over HTTP) and the case officer's page.

Stages: `bodies` turns a request body into case documents (or Diagnostics),
`decide` decides them with the loaded policy, `log` writes the hash-chained
decision log, `openapi` describes the API, `page` renders the web page, and `app`
wires them into a Starlette application that `cli/serve_cmd.py` runs with uvicorn.
"""
