// Record-shaped documents for the benches: what a phone pushes for a
// not-home visit, with fresh ids.
import { randomBytes } from "node:crypto";

/** A fresh id as the app makes one (`uuid::Uuid::now_v7` in
 *  src/store/records.rs): a version 7 UUID, whose first 48 bits are the
 *  time in milliseconds, so that ids made later sort later. (Random ids
 *  would put each stored record at a random place of the server's index of
 *  ids, which the phones' ids never do.) */
function timeOrderedId() {
  const bytes = randomBytes(16);
  bytes.writeUIntBE(Date.now(), 0, 6);
  bytes[6] = 0x70 | (bytes[6] & 0x0f); // version 7
  bytes[8] = 0x80 | (bytes[8] & 0x3f); // variant 10
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function benchRecords(count, deviceId, { startSeq = 1, idField = "id" } = {}) {
  return Array.from({ length: count }, (_, i) => ({
    [idField]: timeOrderedId(),
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
