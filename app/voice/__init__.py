"""Voice messages: decode the recording, compute its prosody, transcribe it (an OpenAI-compatible server).

`app/api/routes/voice.py` runs one chat turn from a voice message; the graph turns the prosody into a
voice arousal estimate and fuses it with the text emotion (graph/voice.py). ASR.md says how to run a
transcription server.
"""
