"""The answering chain: a question and its conversation → a cited answer or a plain refusal.

records     the typed hand-offs between the chain's steps
lexicon     the corpus's vocabulary, subjects and abbreviations
condense    follow-ups made self-contained
coverage    synonyms the corpus uses; topic words it never mentions
retrieve    hybrid search (vector + BM25, fused), screened; each side of a comparison searched too
ranking     the calibrated ranker over the candidates
models      the calibrated models' shipped files and linear score (refusal, ranking)
extractive  the default answerer: the passages' own sentences, cited
verify      the citation check of a chat model's draft
llm         chat models (local, providers) and running them off-thread with a timeout
prompts     what a chat model is told
refusal     refusals, fallback notices, suggested questions
generate    the evidence → the answer
chain       ``Advisor`` wires the steps into a LangChain runnable; ``open_advisor``
"""
