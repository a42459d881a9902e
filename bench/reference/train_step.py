#!/usr/bin/env python3
"""PyTorch counterpart of `AlignSharp.Bench train-run`: the same Llama-style model and training step,
eager mode, fp32 or bf16 autocast. Written for Debian's python3-torch (1.13: no SDPA, so attention is
transformers' eager attention). Prints one line `RESULT {json}` with the fields of TrainRunResult.cs.

  /usr/bin/python3 bench/reference/train_step.py --objectives sft --precisions bf16 --steps 2 --threads 1

Model: vocab 8192, hidden 512, 8 layers, 8 heads, intermediate 1376, untied head, RMSNorm eps 1e-6,
rotary theta 10000 (transformers' LlamaForCausalLM). Step: SFT = token-mean NLL over completion
tokens of 8 sequences (prompt 64 + completion 192); DPO = sigmoid DPO (beta 0.1) of 8 pairs against
reference log-probs computed once before training; by default chosen then rejected rows are
back-propagated one after the other with the other's log-probs as constants (rejected ones from a
no-grad pass first; glibc malloc_trim before each backpropagated pass, --no-trim: none) (--dpo-concat: one pass).
AdamW lr 1e-5, no weight decay. Under bf16, autocast runs linear/matmul in bf16; RMSNorm, softmax
(dtype=float32), log-softmax and the loss run in fp32, as transformers' Llama code does.
"""
import argparse
import ctypes
import json
import math
import time

import torch
import torch.nn.functional as F
from torch import nn

VOCAB, HIDDEN, LAYERS, HEADS, INTERMEDIATE = 8192, 512, 8, 8, 1376
SEQUENCE, PROMPT, BATCH = 256, 64, 8
HEAD_DIM = HIDDEN // HEADS


class RMSNorm(nn.Module):
    def __init__(self, dim, eps=1e-6):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(dim))
        self.eps = eps

    def forward(self, x):
        dtype = x.dtype
        x = x.float()
        x = x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps)
        return self.weight * x.to(dtype)


def rotate_half(x):
    half = x.shape[-1] // 2
    return torch.cat((-x[..., half:], x[..., :half]), dim=-1)


class Attention(nn.Module):
    def __init__(self):
        super().__init__()
        self.q_proj = nn.Linear(HIDDEN, HIDDEN, bias=False)
        self.k_proj = nn.Linear(HIDDEN, HIDDEN, bias=False)
        self.v_proj = nn.Linear(HIDDEN, HIDDEN, bias=False)
        self.o_proj = nn.Linear(HIDDEN, HIDDEN, bias=False)

    def forward(self, x, cos, sin, mask):
        b, t, _ = x.shape
        q = self.q_proj(x).view(b, t, HEADS, HEAD_DIM).transpose(1, 2)
        k = self.k_proj(x).view(b, t, HEADS, HEAD_DIM).transpose(1, 2)
        v = self.v_proj(x).view(b, t, HEADS, HEAD_DIM).transpose(1, 2)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        scores = torch.matmul(q, k.transpose(2, 3)) / math.sqrt(HEAD_DIM) + mask
        probs = F.softmax(scores, dim=-1, dtype=torch.float32).to(q.dtype)
        out = torch.matmul(probs, v)
        return self.o_proj(out.transpose(1, 2).reshape(b, t, HIDDEN))


class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.gate_proj = nn.Linear(HIDDEN, INTERMEDIATE, bias=False)
        self.up_proj = nn.Linear(HIDDEN, INTERMEDIATE, bias=False)
        self.down_proj = nn.Linear(INTERMEDIATE, HIDDEN, bias=False)

    def forward(self, x):
        return self.down_proj(F.silu(self.gate_proj(x)) * self.up_proj(x))


class Layer(nn.Module):
    def __init__(self):
        super().__init__()
        self.input_layernorm = RMSNorm(HIDDEN)
        self.self_attn = Attention()
        self.post_attention_layernorm = RMSNorm(HIDDEN)
        self.mlp = MLP()

    def forward(self, x, cos, sin, mask):
        x = x + self.self_attn(self.input_layernorm(x), cos, sin, mask)
        return x + self.mlp(self.post_attention_layernorm(x))


class LlamaForCausalLM(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed_tokens = nn.Embedding(VOCAB, HIDDEN)
        self.layers = nn.ModuleList([Layer() for _ in range(LAYERS)])
        self.norm = RMSNorm(HIDDEN)
        self.lm_head = nn.Linear(HIDDEN, VOCAB, bias=False)
        inverse = 1.0 / (10000.0 ** (torch.arange(0, HEAD_DIM, 2).float() / HEAD_DIM))
        self.register_buffer("inverse_frequencies", inverse, persistent=False)
        for module in self.modules():  # transformers' _init_weights
            if isinstance(module, (nn.Linear, nn.Embedding)):
                module.weight.data.normal_(0.0, 0.02)

    def forward(self, ids, attention_mask):
        b, t = ids.shape
        x = self.embed_tokens(ids)
        angles = torch.arange(t).float()[:, None] * self.inverse_frequencies[None, :]
        both = torch.cat((angles, angles), -1)
        cos, sin = both.cos().to(x.dtype), both.sin().to(x.dtype)
        allowed = torch.ones(t, t, dtype=torch.bool).tril()[None, None] & attention_mask.bool()[:, None, None, :]
        mask = torch.zeros(b, 1, t, t, dtype=x.dtype).masked_fill(~allowed, torch.finfo(x.dtype).min)
        for layer in self.layers:
            x = layer(x, cos, sin, mask)
        return self.lm_head(self.norm(x)).float()  # fp32 logits, as transformers' LlamaForCausalLM


def completion_logps(model, ids, mask, completion):
    """[rows, time-1] log-prob of each next token, and the mask of completion targets."""
    logits = model(ids, mask)[:, :-1]
    logps = torch.log_softmax(logits, -1).gather(-1, ids[:, 1:, None]).squeeze(-1)
    return logps, completion[:, 1:]


def rows(count, generator):
    ids = torch.randint(0, VOCAB, (count, SEQUENCE), generator=generator)
    completion = torch.zeros(count, SEQUENCE, dtype=torch.bool)
    completion[:, PROMPT:] = True
    return ids, torch.ones(count, SEQUENCE, dtype=torch.long), completion


def peak_rss_mb(key="VmHWM:"):
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(key):
                return int(line.split()[1]) / 1024.0
    return float("nan")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--objectives", default="sft", choices=["sft", "dpo"])
    parser.add_argument("--precisions", default="bf16", choices=["fp32", "bf16"])
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--steps", type=int, default=2)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--dpo-concat", action="store_true")
    parser.add_argument("--no-trim", action="store_true")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    generator = torch.Generator().manual_seed(args.seed)
    bf16 = args.precisions == "bf16"
    model = LlamaForCausalLM().train()
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-5, weight_decay=0.0)
    autocast = lambda: torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16)
    beta = 0.1
    libc = ctypes.CDLL("libc.so.6")

    if args.objectives == "sft":
        ids, mask, completion = rows(BATCH, generator)
    else:
        chosen = rows(BATCH, generator)
        rejected = rows(BATCH, generator)
        rejected[0][:, :PROMPT] = chosen[0][:, :PROMPT]  # pairs share the prompt
        with torch.no_grad(), autocast():  # the cached reference pass
            reference = [(lambda lp, m: (lp * m).sum(-1))(*completion_logps(model, *r)) for r in (chosen, rejected)]

    def sequence_logps(r):
        logps, m = completion_logps(model, *r)
        return (logps * m).sum(-1)

    def dpo_loss(pc, pr):
        h = (pc - reference[0]) - (pr - reference[1])
        return -F.logsigmoid(beta * h).mean()

    def step():
        wall_start = time.perf_counter()
        start = time.process_time()
        optimizer.zero_grad(set_to_none=True)
        if args.objectives == "sft":
            with autocast():
                logps, m = completion_logps(model, ids, mask, completion)
            loss = -(logps.float() * m).sum() / m.sum()
            forward = time.process_time() - start
            loss.backward()
            backward = time.process_time() - start - forward
        elif args.dpo_concat:
            both = tuple(torch.cat((c, r)) for c, r in zip(chosen, rejected))
            with autocast():
                s = sequence_logps(both)
            loss = dpo_loss(s[:BATCH].float(), s[BATCH:].float())
            forward = time.process_time() - start
            loss.backward()
            backward = time.process_time() - start - forward
        else:
            forward = backward = 0.0
            mark = time.process_time()
            with torch.no_grad(), autocast():  # first, while no graph is alive
                pr_value = sequence_logps(rejected).float()
            if not args.no_trim:
                libc.malloc_trim(0)
            with autocast():
                pc = sequence_logps(chosen).float()
            loss = dpo_loss(pc, pr_value)
            now = time.process_time(); forward += now - mark; mark = now
            loss.backward()
            now = time.process_time(); backward += now - mark; mark = now
            if not args.no_trim:
                libc.malloc_trim(0)  # as the C# bench: give the chosen pass's freed activations back first
            with autocast():
                pr = sequence_logps(rejected).float()
            second = dpo_loss(pc.detach(), pr)
            now = time.process_time(); forward += now - mark; mark = now
            second.backward()
            now = time.process_time(); backward += now - mark; mark = now
        before_optimizer = time.process_time()
        optimizer.step()
        end = time.process_time()
        # wall step time, then CPU times: forward, backward, optimizer, loss, whole step
        return time.perf_counter() - wall_start, forward, backward, end - before_optimizer, loss.item(), end - start

    for _ in range(args.warmup):
        step()
    rss_before = peak_rss_mb("VmRSS:")
    timings = [step() for _ in range(args.steps)]
    result = {
        "implementation": "pytorch", "objective": args.objectives, "precision": args.precisions, "threads": args.threads,
        "tokens_per_step": SEQUENCE * BATCH * (2 if args.objectives == "dpo" else 1),
        "step_seconds": [t[0] for t in timings], "cpu_seconds": [t[5] for t in timings], "forward_seconds": [t[1] for t in timings],
        "backward_seconds": [t[2] for t in timings], "optimizer_seconds": [t[3] for t in timings],
        "losses": [t[4] for t in timings], "peak_rss_mb": peak_rss_mb(), "rss_before_steps_mb": rss_before,
    }
    print("RESULT " + json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
