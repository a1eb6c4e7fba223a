#!/usr/bin/python3
"""PyTorch's examples/vae model, for bench/vae-parity.mjs and bench/vae.bench.mjs.

    /usr/bin/python3 bench/vae-torch.py <dir> <job.json>

<dir> holds train.f32 and test.f32 (row-major float32, 784 columns, little-endian);
job.json says { "seed", "epochs", "batchSize", "learningRate", "testDraws", "threads",
"evaluate" }. The model is examples/vae's (784-400-20-400-784, ReLU, Adam), with the loss
written with logits, as latentspace's: binary_cross_entropy_with_logits summed plus the
KL summed, per minibatch. Each epoch: a shuffled pass (torch.randperm from a seeded
generator, minibatches gathered by indexing: cheaper than a DataLoader), its
time (time.perf_counter around the pass only), the mean training loss per digit (as the
example prints it), and, when "evaluate" is set, the test loss per digit with one ε per
digit (as the example's test()). After the last epoch, the test loss per digit averaged
over "testDraws" draws. Prints one JSON line.
"""
import json
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F


class VAE(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = torch.nn.Linear(784, 400)
        self.fc21 = torch.nn.Linear(400, 20)
        self.fc22 = torch.nn.Linear(400, 20)
        self.fc3 = torch.nn.Linear(20, 400)
        self.fc4 = torch.nn.Linear(400, 784)

    def forward(self, x):
        h1 = F.relu(self.fc1(x))
        mu, logvar = self.fc21(h1), self.fc22(h1)
        z = mu + torch.randn_like(mu) * torch.exp(0.5 * logvar)
        return self.fc4(F.relu(self.fc3(z))), mu, logvar


def loss_function(logits, x, mu, logvar):
    bce = F.binary_cross_entropy_with_logits(logits, x, reduction="sum")
    kld = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())
    return bce + kld


def load(path):
    a = np.fromfile(path, dtype="<f4")
    return torch.from_numpy(a.reshape(-1, 784).copy())


def test_loss(model, x, draws):
    with torch.no_grad():
        total = 0.0
        for _ in range(draws):
            for start in range(0, len(x), 1000):
                b = x[start:start + 1000]
                logits, mu, logvar = model(b)
                total += loss_function(logits, b, mu, logvar).item()
        return total / (draws * len(x))


def main():
    folder, job_path = sys.argv[1], sys.argv[2]
    job = json.load(open(job_path))
    torch.set_num_threads(job.get("threads", 1))
    torch.manual_seed(job["seed"])
    train = load(os.path.join(folder, "train.f32"))
    test = load(os.path.join(folder, "test.f32")) if job.get("evaluate", True) else None
    model = VAE()
    opt = torch.optim.Adam(model.parameters(), lr=job["learningRate"])
    g = torch.Generator().manual_seed(job["seed"])
    size = job["batchSize"]
    epochs = []
    for _ in range(job["epochs"]):
        model.train()
        total = 0.0
        t0 = time.perf_counter()
        order = torch.randperm(len(train), generator=g)
        for start in range(0, len(train), size):
            x = train[order[start:start + size]]
            opt.zero_grad()
            logits, mu, logvar = model(x)
            loss = loss_function(logits, x, mu, logvar)
            loss.backward()
            total += loss.item()
            opt.step()
        seconds = time.perf_counter() - t0
        entry = {"seconds": seconds, "train": total / len(train)}
        if test is not None:
            entry["test"] = test_loss(model, test, 1)
        epochs.append(entry)
    out = {"torch": torch.__version__, "threads": torch.get_num_threads(), "epochs": epochs}
    if test is not None:
        out["testFinal"] = test_loss(model, test, job.get("testDraws", 10))
    print(json.dumps(out))


if __name__ == "__main__":
    main()
