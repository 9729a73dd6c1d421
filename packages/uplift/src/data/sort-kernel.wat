;; Sorting doubles for binning's quantile edges, in WebAssembly text. `npm run build:wasm` assembles it into
;; sort-kernel.wasm.ts (a test checks the two agree); sort-float64.ts copies a sample in and out.
;; Memory layout (byte addresses): the $n doubles at 0, a scratch of $n at $n * 8, then three 2048-entry i32
;; digit counts. Each double becomes an order-preserving unsigned 64-bit key (negative values flip all bits,
;; others only the sign); an LSD radix sort on the key's high 32 bits (three 11-bit digits, counted in one pass,
;; a digit all keys share skipped) moves whole keys, then an insertion pass orders keys sharing their high
;; 32 bits by the whole key, and the keys become doubles again. The order is Float64Array.prototype.sort's
;; for NaN-free input (-0 before +0). Why WebAssembly: the same sort in JavaScript took about 25 ns a value
;; (typed-array bounds checks on every count and move); this one about 9 ns. The key and digit arithmetic is
;; written out in the loops: as calls it ran 2.3x slower.
(module
  (memory (export "memory") 1)

  ;; Digit d (0..2) of a key: bits 32 + 11d .. 32 + 11d + 10.
  (func $digit (param $k i64) (param $d i32) (result i32)
    (i32.and
      (i32.wrap_i64 (i64.shr_u (local.get $k) (i64.extend_i32_u (i32.add (i32.const 32) (i32.mul (local.get $d) (i32.const 11))))))
      (i32.const 2047)))

  (func (export "sort") (param $n i32)
    (local $i i32) (local $k i64) (local $src i32) (local $dst i32) (local $t i32) (local $d i32)
    (local $counts i32) (local $c i32) (local $sum i32) (local $v i32) (local $j i32) (local $at i32) (local $sh i64)
    (local $hi i32)
    (local.set $counts (i32.mul (local.get $n) (i32.const 16)))
    (memory.fill (local.get $counts) (i32.const 0) (i32.const 24576))
    ;; Keys in place, and the three digits' counts in one pass.
    (local.set $i (i32.const 0))
    (block $done
      (loop $keys
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $at (i32.shl (local.get $i) (i32.const 3)))
        (local.set $k (i64.load (local.get $at)))
        (local.set $k (i64.xor (local.get $k)
          (i64.or (i64.shr_s (local.get $k) (i64.const 63)) (i64.const 0x8000000000000000))))
        (i64.store (local.get $at) (local.get $k))
        (local.set $hi (i32.wrap_i64 (i64.shr_u (local.get $k) (i64.const 32))))
        (local.set $c (i32.add (local.get $counts) (i32.shl (i32.and (local.get $hi) (i32.const 2047)) (i32.const 2))))
        (i32.store (local.get $c) (i32.add (i32.load (local.get $c)) (i32.const 1)))
        (local.set $c (i32.add (local.get $counts)
          (i32.add (i32.const 8192) (i32.shl (i32.and (i32.shr_u (local.get $hi) (i32.const 11)) (i32.const 2047)) (i32.const 2)))))
        (i32.store (local.get $c) (i32.add (i32.load (local.get $c)) (i32.const 1)))
        (local.set $c (i32.add (local.get $counts)
          (i32.add (i32.const 16384) (i32.shl (i32.shr_u (local.get $hi) (i32.const 22)) (i32.const 2)))))
        (i32.store (local.get $c) (i32.add (i32.load (local.get $c)) (i32.const 1)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $keys)))
    (local.set $src (i32.const 0))
    (local.set $dst (i32.shl (local.get $n) (i32.const 3)))
    (local.set $d (i32.const 0))
    (loop $passes
      (local.set $c (i32.add (local.get $counts) (i32.mul (local.get $d) (i32.const 8192))))
      ;; Skip a digit every key shares (its count is n).
      (if (i32.ne
            (i32.load (i32.add (local.get $c) (i32.shl (call $digit (i64.load (local.get $src)) (local.get $d)) (i32.const 2))))
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
          (local.set $sh (i64.extend_i32_u (i32.add (i32.const 32) (i32.mul (local.get $d) (i32.const 11)))))
          (local.set $i (i32.const 0))
          (loop $scatter
            (local.set $k (i64.load (i32.add (local.get $src) (i32.shl (local.get $i) (i32.const 3)))))
            (local.set $at (i32.add (local.get $c)
              (i32.shl (i32.and (i32.wrap_i64 (i64.shr_u (local.get $k) (local.get $sh))) (i32.const 2047)) (i32.const 2))))
            (local.set $v (i32.load (local.get $at)))
            (i32.store (local.get $at) (i32.add (local.get $v) (i32.const 1)))
            (i64.store (i32.add (local.get $dst) (i32.shl (local.get $v) (i32.const 3))) (local.get $k))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br_if $scatter (i32.lt_u (local.get $i) (local.get $n))))
          (local.set $t (local.get $src))
          (local.set $src (local.get $dst))
          (local.set $dst (local.get $t))))
      (local.set $d (i32.add (local.get $d) (i32.const 1)))
      (br_if $passes (i32.lt_u (local.get $d) (i32.const 3))))
    ;; Sorted by the high 32 bits; equal high words are adjacent. Insertion by the whole key.
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
            (br $shift)))
        (i64.store (i32.add (local.get $src) (i32.shl (local.get $j) (i32.const 3))) (local.get $k))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $insert)))
    ;; Keys back to doubles, at address 0.
    (local.set $i (i32.const 0))
    (block $back
      (loop $out
        (br_if $back (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $at (i32.shl (local.get $i) (i32.const 3)))
        (local.set $k (i64.load (i32.add (local.get $src) (local.get $at))))
        (i64.store (local.get $at) (i64.xor (local.get $k)
          (i64.or (i64.shr_s (i64.xor (local.get $k) (i64.const -1)) (i64.const 63)) (i64.const 0x8000000000000000))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $out)))))
