"""The reply package: every sentence kefu says to a customer comes from here.

- `zh.yaml`, `en.yaml`: the wording, one file per language, the same keys in both;
- `wording.py`: looks sentences up (`text`, `phrase`, status and slot names, handoff notices);
- `tone.py`: the one opening chosen from the customer's emotion, put in front of a reply once;
- `actions.py` (+ `summaries.py`): replies about business actions (found, proposed, done, refused, which order?);
- `policy.py`: policy answers (grounded composer, answer cache, optional LLM rewrite).
The respond node (graph/nodes/respond.py) picks which of these writes the turn's reply.
"""
