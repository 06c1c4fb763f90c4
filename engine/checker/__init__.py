"""The checker (`fsl check`): submitted documents against deadlines, durations and signatures."""
