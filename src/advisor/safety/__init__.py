"""What reaches a student or a chat model is the guide's content: no planted instructions, no foreign links.

injection   the instruction detector and the prompt-leak check
links       links and images only to allowed hosts
guard       the stage that applies both to passages, drafts and answers
"""
