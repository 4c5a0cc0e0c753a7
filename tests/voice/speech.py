"""Settings of the synthesised test speech: the same words said calmly and with a raised voice."""

ANGRY_WORDS = "你们怎么回事，我的快递到底什么时候到"
CALM = {"speed": 150, "pitch": 40, "amplitude": 80}
RAISED = {"speed": 230, "pitch": 85, "amplitude": 180}
