;; Sorting doubles for binning's quantile edges, in WebAssembly text. `npm run build:wasm` assembles it into
;; sort-kernel.wasm.ts (a test checks the two agree); sort-float64.ts copies a sample in and out.
;; Memory layout (byte addresses): the $n doubles at 0, a scratch of $n at $n * 8, then three 2048-entry i32
;; digit counts. Each double becomes an order-preserving unsigned 64-bit key (negative values flip all bits,
;; others only the sign). An LSD radix sort on the key's high 32 bits (three 11-bit digits, counted in one pass,
;; a digit all keys share skipped) leaves keys sharing their high word adjacent; an insertion pass orders
;; them, and when that takes more than 8 moves a key each run is ordered on its own, by insertion when short and
;; by the same radix sort on the low 32 bits when long (so many distinct values sharing a high word, large IDs
;; say, cost no quadratic pass). Then the keys become doubles again. The
;; order is Float64Array.prototype.sort's for NaN-free input (-0 before +0). Why WebAssembly: the same sort in
;; JavaScript took about 25 ns a value (typed-array bounds checks on every count and move); this one about 9 ns.
;; The key and digit arithmetic is written out in the loops: as calls it ran 2.3x slower.
(module
  (memory (export "memory") 1)

  ;; Runs longer than this are sorted by the radix sort on their low word, shorter ones by insertion.
  (global $SHORT_RUN i32 (i32.const 64))

  ;; LSD radix sort of the $n keys at $src by three 11-bit digits from bit $base (32: the high word, 0: the low
  ;; word; a run sorted by its low word shares its high word, so the last digit's bit 32 is the same for all),
  ;; through the scratch at $tmp, with the counts at $counts. The sorted keys end at $src.
  (func $radix (param $src i32) (param $tmp i32) (param $n i32) (param $base i32) (param $counts i32)
    (local $i i32) (local $k i64) (local $d i32) (local $c i32) (local $sum i32) (local $v i32) (local $j i32)
    (local $at i32) (local $t i32) (local $sh i64) (local $sh0 i64) (local $sh1 i64) (local $sh2 i64)
    (local $from i32)
    (local.set $from (local.get $src))
    (local.set $sh0 (i64.extend_i32_u (local.get $base)))
    (local.set $sh1 (i64.extend_i32_u (i32.add (local.get $base) (i32.const 11))))
    (local.set $sh2 (i64.extend_i32_u (i32.add (local.get $base) (i32.const 22))))
    (memory.fill (local.get $counts) (i32.const 0) (i32.const 24576))
    ;; The three digits' counts in one pass.
    (local.set $i (i32.const 0))
    (loop $count
      (local.set $k (i64.load (i32.add (local.get $src) (i32.shl (local.get $i) (i32.const 3)))))
      (local.set $c (i32.add (local.get $counts)
        (i32.shl (i32.and (i32.wrap_i64 (i64.shr_u (local.get $k) (local.get $sh0))) (i32.const 2047)) (i32.const 2))))
      (i32.store (local.get $c) (i32.add (i32.load (local.get $c)) (i32.const 1)))
      (local.set $c (i32.add (i32.add (local.get $counts) (i32.const 8192))
        (i32.shl (i32.and (i32.wrap_i64 (i64.shr_u (local.get $k) (local.get $sh1))) (i32.const 2047)) (i32.const 2))))
      (i32.store (local.get $c) (i32.add (i32.load (local.get $c)) (i32.const 1)))
      (local.set $c (i32.add (i32.add (local.get $counts) (i32.const 16384))
        (i32.shl (i32.and (i32.wrap_i64 (i64.shr_u (local.get $k) (local.get $sh2))) (i32.const 2047)) (i32.const 2))))
      (i32.store (local.get $c) (i32.add (i32.load (local.get $c)) (i32.const 1)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $count (i32.lt_u (local.get $i) (local.get $n))))
    (local.set $d (i32.const 0))
    (loop $passes
      (local.set $c (i32.add (local.get $counts) (i32.mul (local.get $d) (i32.const 8192))))
      (local.set $sh (i64.extend_i32_u (i32.add (local.get $base) (i32.mul (local.get $d) (i32.const 11)))))
      ;; Skip a digit every key shares (its count is n).
      (if (i32.ne
            (i32.load (i32.add (local.get $c)
              (i32.shl (i32.and (i32.wrap_i64 (i64.shr_u (i64.load (local.get $src)) (local.get $sh))) (i32.const 2047))
                (i32.const 2))))
            (local.get $n))
        (then
          ;; Counts to starting positions.
          (local.set $sum (i32.const 0))
          (local.set $j (i32.const 0))
          (loop $prefix
            (local.set $at (i32.add (local.get $c) (i32.shl (local.get $j) (i32.const 2))))
            (local.set $v (i32.load (local.get $at)))
            (i32.store (local.get $at) (local.get $sum))
            (local.set $sum (i32.add (local.get $sum) (local.get $v)))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br_if $prefix (i32.lt_u (local.get $j) (i32.const 2048))))
          ;; Stable scatter by the digit.
          (local.set $i (i32.const 0))
          (loop $scatter
            (local.set $k (i64.load (i32.add (local.get $src) (i32.shl (local.get $i) (i32.const 3)))))
            (local.set $at (i32.add (local.get $c)
              (i32.shl (i32.and (i32.wrap_i64 (i64.shr_u (local.get $k) (local.get $sh))) (i32.const 2047)) (i32.const 2))))
            (local.set $v (i32.load (local.get $at)))
            (i32.store (local.get $at) (i32.add (local.get $v) (i32.const 1)))
            (i64.store (i32.add (local.get $tmp) (i32.shl (local.get $v) (i32.const 3))) (local.get $k))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br_if $scatter (i32.lt_u (local.get $i) (local.get $n))))
          (local.set $t (local.get $src))
          (local.set $src (local.get $tmp))
          (local.set $tmp (local.get $t))))
      (local.set $d (i32.add (local.get $d) (i32.const 1)))
      (br_if $passes (i32.lt_u (local.get $d) (i32.const 3))))
    (if (i32.ne (local.get $src) (local.get $from))
      (then (memory.copy (local.get $from) (local.get $src) (i32.shl (local.get $n) (i32.const 3))))))

  ;; Insertion sort of the $n keys at $src by the whole key, giving up (returning 0) after $budget moves; keys
  ;; only move past greater keys of their own run, so the order by high word holds either way.
  (func $insertion (param $src i32) (param $n i32) (param $budget i32) (result i32)
    (local $i i32) (local $j i32) (local $k i64) (local $at i32)
    (local.set $i (i32.const 1))
    (block $sorted
      (loop $insert
        (br_if $sorted (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $k (i64.load (i32.add (local.get $src) (i32.shl (local.get $i) (i32.const 3)))))
        (local.set $j (local.get $i))
        (block $placed
          (loop $shift
            (br_if $placed (i32.eqz (local.get $j)))
            (local.set $at (i32.add (local.get $src) (i32.shl (i32.sub (local.get $j) (i32.const 1)) (i32.const 3))))
            (br_if $placed (i64.le_u (i64.load (local.get $at)) (local.get $k)))
            (i64.store offset=8 (local.get $at) (i64.load (local.get $at)))
            (local.set $j (i32.sub (local.get $j) (i32.const 1)))
            (local.set $budget (i32.sub (local.get $budget) (i32.const 1)))
            (if (i32.lt_s (local.get $budget) (i32.const 0))
              (then
                (i64.store (i32.add (local.get $src) (i32.shl (local.get $j) (i32.const 3))) (local.get $k))
                (return (i32.const 0))))
            (br $shift)))
        (i64.store (i32.add (local.get $src) (i32.shl (local.get $j) (i32.const 3))) (local.get $k))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $insert)))
    (i32.const 1))

  (func (export "sort") (param $n i32)
    (local $i i32) (local $j i32) (local $k i64) (local $at i32) (local $hi i64) (local $counts i32) (local $tmp i32)
    (if (i32.eqz (local.get $n)) (then (return)))
    (local.set $tmp (i32.shl (local.get $n) (i32.const 3)))
    (local.set $counts (i32.shl (local.get $n) (i32.const 4)))
    ;; Keys in place.
    (local.set $i (i32.const 0))
    (loop $keys
      (local.set $at (i32.shl (local.get $i) (i32.const 3)))
      (local.set $k (i64.load (local.get $at)))
      (i64.store (local.get $at) (i64.xor (local.get $k)
        (i64.or (i64.shr_s (local.get $k) (i64.const 63)) (i64.const 0x8000000000000000))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $keys (i32.lt_u (local.get $i) (local.get $n))))
    (call $radix (i32.const 0) (local.get $tmp) (local.get $n) (i32.const 32) (local.get $counts))
    ;; Keys sharing their high word are adjacent: one insertion pass orders them (a few moves a key on most
    ;; data); when it needs more than 8 moves a key, each run is ordered on its own, by the radix sort on its
    ;; low word when long.
    (if (i32.eqz (call $insertion (i32.const 0) (local.get $n) (i32.shl (local.get $n) (i32.const 3))))
      (then
        (local.set $i (i32.const 0))
        (block $runs_done
          (loop $runs
            (br_if $runs_done (i32.ge_u (local.get $i) (local.get $n)))
            (local.set $hi (i64.shr_u (i64.load (i32.shl (local.get $i) (i32.const 3))) (i64.const 32)))
            (local.set $j (i32.add (local.get $i) (i32.const 1)))
            (block $run_end
              (loop $extend
                (br_if $run_end (i32.ge_u (local.get $j) (local.get $n)))
                (br_if $run_end
                  (i64.ne (i64.shr_u (i64.load (i32.shl (local.get $j) (i32.const 3))) (i64.const 32)) (local.get $hi)))
                (local.set $j (i32.add (local.get $j) (i32.const 1)))
                (br $extend)))
            (if (i32.gt_u (i32.sub (local.get $j) (local.get $i)) (global.get $SHORT_RUN))
              (then
                (call $radix (i32.shl (local.get $i) (i32.const 3)) (local.get $tmp) (i32.sub (local.get $j) (local.get $i))
                  (i32.const 0) (local.get $counts)))
              (else
                (drop (call $insertion (i32.shl (local.get $i) (i32.const 3)) (i32.sub (local.get $j) (local.get $i))
                  (i32.const 0x7fffffff)))))
            (local.set $i (local.get $j))
            (br $runs)))))
    ;; Keys back to doubles.
    (local.set $i (i32.const 0))
    (loop $out
      (local.set $at (i32.shl (local.get $i) (i32.const 3)))
      (local.set $k (i64.load (local.get $at)))
      (i64.store (local.get $at) (i64.xor (local.get $k)
        (i64.or (i64.shr_s (i64.xor (local.get $k) (i64.const -1)) (i64.const 63)) (i64.const 0x8000000000000000))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $out (i32.lt_u (local.get $i) (local.get $n))))))
