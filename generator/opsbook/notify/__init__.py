"""``opsbook notify``: the review digest and the daily reminders, sent where the team works.

digest.py decides what to say (values from the model), render.py words and splits it for each
platform, channels.py delivers it (signing, rate limits, retries), command.py ties them up.
"""
