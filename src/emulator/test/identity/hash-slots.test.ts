/** Password hashes wait for a slot, in arrival order, so the thread pool keeps room for signatures. */
import { describe, expect, test } from 'vitest';
import { createSlots, passwordHashSlots } from '../../identity/hash-slots.ts';
import { hashPassword, verifyPassword } from '../../identity/passwords.ts';

/** A job that finishes when the test says so. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

describe('hash slots', () => {
  test('never more than max at once; the rest start in arrival order as slots free up', async () => {
    const slots = createSlots(2);
    const gates = Array.from({ length: 5 }, gate);
    const started: number[] = [];
    const done = gates.map((g, i) =>
      slots.run(async () => {
        started.push(i);
        await g.opened;
        return i;
      }),
    );
    await Promise.resolve();
    expect(started).toEqual([0, 1]);
    expect([slots.running, slots.waiting]).toEqual([2, 3]);

    gates[1]!.open();
    await done[1];
    await new Promise((r) => setImmediate(r));
    expect(started).toEqual([0, 1, 2]);
    expect([slots.running, slots.waiting]).toEqual([2, 2]);

    for (const g of gates) g.open();
    expect(await Promise.all(done)).toEqual([0, 1, 2, 3, 4]);
    expect(started).toEqual([0, 1, 2, 3, 4]);
    expect([slots.running, slots.waiting]).toEqual([0, 0]);
  });

  test('a failing job frees its slot', async () => {
    const slots = createSlots(1);
    await expect(slots.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await slots.run(async () => 'next')).toBe('next');
    expect([slots.running, slots.waiting]).toEqual([0, 0]);
  });

  test.each([0, -1, 1.5])('refuses max = %s', (max) => {
    expect(() => createSlots(max)).toThrow('max must be a positive integer');
  });

  test('password hashing goes through the slots and still verifies', async () => {
    const hashes = [hashPassword('correct horse battery staple'), hashPassword('another one')];
    expect(passwordHashSlots.running + passwordHashSlots.waiting).toBe(2);
    const [first] = await Promise.all(hashes);
    expect(await verifyPassword('correct horse battery staple', first!)).toBe(true);
    expect(await verifyPassword('wrong', first!)).toBe(false);
    expect([passwordHashSlots.running, passwordHashSlots.waiting]).toEqual([0, 0]);
  });
});
