"""Prints summary-buffer.json from Python LangChain's own ConversationSummaryBufferMemory.

The golden file was derived from the Python source through the transliteration in
../pythonSummaryBuffer.ts; this script checks it against the real class. With a Python that has
langchain-classic and tiktoken installed (pip install langchain-classic tiktoken):

    python3 test/core/chain/memoryClasses/golden/summary_buffer.py > /tmp/summary-buffer.json
    diff /tmp/summary-buffer.json test/core/chain/memoryClasses/golden/summary-buffer.json

The conversation, the limit and the scripted replies are those of goldenCase in ../summaryBuffer.test.ts.
"""

import json

import tiktoken
from langchain_classic.chains import LLMChain
from langchain_classic.memory import ConversationSummaryBufferMemory
from langchain_core.language_models.llms import LLM
from langchain_core.prompts import PromptTemplate

EXCHANGES = [
    ("Hi, I am Ana.", "Hello Ana!"),
    ("I live in Lisbon.", "Lisbon is lovely."),
    ("I am planning a trip to Tokyo in May.", "May is a fine month for Tokyo."),
    ("What should I pack?", "Light clothes and an umbrella."),
    ("What is my name?", "Your name is Ana."),
]


class Scripted(LLM):
    """Records every prompt; answers the chain's replies in order and numbered summaries."""

    sent: list = []
    replies: list = []
    summaries: int = 0

    @property
    def _llm_type(self) -> str:
        return "scripted"

    def _call(self, prompt, stop=None, run_manager=None, **kwargs):
        self.sent.append({"prompt": prompt})
        if prompt.startswith("Progressively summarize"):
            self.summaries += 1
            return f"Summary {self.summaries}: {len(prompt)} characters."
        return self.replies.pop(0)

    def get_token_ids(self, text):
        # What langchain_openai's OpenAI(model="gpt-3.5-turbo-instruct") counts with.
        return tiktoken.encoding_for_model("gpt-3.5-turbo-instruct").encode(text)


llm = Scripted(replies=[reply for _, reply in EXCHANGES])
memory = ConversationSummaryBufferMemory(llm=llm, max_token_limit=20)
prompt = PromptTemplate.from_template("The conversation so far: {history}\nHuman: {input}\nAI:")
chain = LLMChain(llm=llm, prompt=prompt, memory=memory)
for text, _ in EXCHANGES:
    chain.predict(input=text)
print(json.dumps(llm.sent, indent=2, ensure_ascii=False))
