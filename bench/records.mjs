// Record-shaped documents for the benches: what a phone pushes for a
// not-home visit, with fresh ids.
import { randomUUID } from "node:crypto";

export function benchRecords(count, deviceId, { startSeq = 1, idField = "id" } = {}) {
  return Array.from({ length: count }, (_, i) => ({
    [idField]: randomUUID(),
    campaign_id: "demo-xingfu",
    door_id: `ht-${String(1 + (i % 30)).padStart(2, "0")}0${1 + (i % 8)}`,
    form_id: "household",
    form_version: 1,
    outcome: { kind: "not_home" },
    answers: {},
    volunteer_id: "bench",
    device_id: deviceId,
    device_seq: startSeq + i,
    device_time: Date.now(),
  }));
}
