"""The one service layer every face calls (CLI, API, web pages, static export): typed results,
no rendering. Faces import this package; it imports the engine, policy, evaluation and store."""
