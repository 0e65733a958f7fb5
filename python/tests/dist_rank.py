"""One rank of the two-process gloo test (test_torch.py): init the process group from the
environment, iterate a lockstep DataLoader (rank and world size from torch.distributed), and print
each batch's indices and hash as JSON lines; rank 0 also prints what all_gather_object collected."""
import hashlib
import json
import sys
from pathlib import Path

import torch.distributed as dist

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import lockstep  # noqa: E402
import lockstep.torch as LT  # noqa: E402

root, pipeline, batch_size, seed, workers = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
dist.init_process_group("gloo")
files, labels, _ = LT.image_folder(root)
ds = LT.Dataset(files, lockstep.from_json(pipeline), seed=seed, labels=labels)
loader = LT.DataLoader(ds, batch_size=batch_size, shuffle=True, num_workers=workers)  # rank, world size: from the group
mine = []
for x, y in loader:
    mine.append({"labels": y.tolist(), "shape": list(x.shape), "sha256": hashlib.sha256(x.numpy().tobytes()).hexdigest()})
gathered = [None] * dist.get_world_size()
dist.all_gather_object(gathered, mine)
print(json.dumps({"rank": dist.get_rank(), "world": dist.get_world_size(), "batches": mine, "gathered": gathered if dist.get_rank() == 0 else None}))
dist.destroy_process_group()
