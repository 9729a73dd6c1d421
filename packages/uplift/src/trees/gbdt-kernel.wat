;; The gradient-boosting histogram kernel, in WebAssembly text. `npm run build:wasm` assembles it into
;; gbdt-kernel.wasm.ts (a test checks the two agree). It works on one fit's shared memory (gbdt-heap.ts lays
;; it out): bin codes column-major (one byte per row and feature), the tree's rows (i32) with their gradients
;; and hessians as (g, h) f64 pairs in the same order (partitioned together, so a node's rows and gradients are
;; two contiguous ranges), and histograms of (g, h, count) f64 triples, 24 bytes per bin.
;; All addresses are byte addresses. Why WebAssembly: the same loop in JavaScript spends about half its time on
;; typed-array bounds checks (2.0-3.5 against 1.1-2.6 ns per update on 200k and 1M rows in a kernel
;; micro-benchmark on the same data; docs/uplift.md has the fit figures).
(module
  (import "env" "memory" (memory 1 65536 shared))

  ;; One bin update: hist[a] += (g, h, 1) (written out in hist5's loop: a call there cost time).
  (func $add (param $a i32) (param $g f64) (param $h f64)
    (f64.store (local.get $a) (f64.add (f64.load (local.get $a)) (local.get $g)))
    (f64.store offset=8 (local.get $a) (f64.add (f64.load offset=8 (local.get $a)) (local.get $h)))
    (f64.store offset=16 (local.get $a) (f64.add (f64.load offset=16 (local.get $a)) (f64.const 1))))

  ;; Five features per pass over the node's rows, so each row's index and gradients are read once for five
  ;; updates: feature k's codes start at $codes + k * $stride, its histogram at $ok.
  ;; rows[i] is the row of gh[i].
  (func (export "hist5") (param $rows i32) (param $m i32) (param $gh i32) (param $codes i32) (param $stride i32)
        (param $o0 i32) (param $o1 i32) (param $o2 i32) (param $o3 i32) (param $o4 i32)
    (local $end i32) (local $c i32) (local $a i32) (local $g f64) (local $h f64)
    (if (i32.eqz (local.get $m)) (then (return)))
    (local.set $end (i32.add (local.get $rows) (i32.shl (local.get $m) (i32.const 2))))
    (loop $rows
      (local.set $c (i32.add (local.get $codes) (i32.load (local.get $rows))))
      (local.set $g (f64.load (local.get $gh)))
      (local.set $h (f64.load offset=8 (local.get $gh)))
      (local.set $a (i32.add (local.get $o0) (i32.mul (i32.load8_u (local.get $c)) (i32.const 24))))
      (f64.store (local.get $a) (f64.add (f64.load (local.get $a)) (local.get $g)))
      (f64.store offset=8 (local.get $a) (f64.add (f64.load offset=8 (local.get $a)) (local.get $h)))
      (f64.store offset=16 (local.get $a) (f64.add (f64.load offset=16 (local.get $a)) (f64.const 1)))
      (local.set $c (i32.add (local.get $c) (local.get $stride)))
      (local.set $a (i32.add (local.get $o1) (i32.mul (i32.load8_u (local.get $c)) (i32.const 24))))
      (f64.store (local.get $a) (f64.add (f64.load (local.get $a)) (local.get $g)))
      (f64.store offset=8 (local.get $a) (f64.add (f64.load offset=8 (local.get $a)) (local.get $h)))
      (f64.store offset=16 (local.get $a) (f64.add (f64.load offset=16 (local.get $a)) (f64.const 1)))
      (local.set $c (i32.add (local.get $c) (local.get $stride)))
      (local.set $a (i32.add (local.get $o2) (i32.mul (i32.load8_u (local.get $c)) (i32.const 24))))
      (f64.store (local.get $a) (f64.add (f64.load (local.get $a)) (local.get $g)))
      (f64.store offset=8 (local.get $a) (f64.add (f64.load offset=8 (local.get $a)) (local.get $h)))
      (f64.store offset=16 (local.get $a) (f64.add (f64.load offset=16 (local.get $a)) (f64.const 1)))
      (local.set $c (i32.add (local.get $c) (local.get $stride)))
      (local.set $a (i32.add (local.get $o3) (i32.mul (i32.load8_u (local.get $c)) (i32.const 24))))
      (f64.store (local.get $a) (f64.add (f64.load (local.get $a)) (local.get $g)))
      (f64.store offset=8 (local.get $a) (f64.add (f64.load offset=8 (local.get $a)) (local.get $h)))
      (f64.store offset=16 (local.get $a) (f64.add (f64.load offset=16 (local.get $a)) (f64.const 1)))
      (local.set $c (i32.add (local.get $c) (local.get $stride)))
      (local.set $a (i32.add (local.get $o4) (i32.mul (i32.load8_u (local.get $c)) (i32.const 24))))
      (f64.store (local.get $a) (f64.add (f64.load (local.get $a)) (local.get $g)))
      (f64.store offset=8 (local.get $a) (f64.add (f64.load offset=8 (local.get $a)) (local.get $h)))
      (f64.store offset=16 (local.get $a) (f64.add (f64.load offset=16 (local.get $a)) (f64.const 1)))
      (local.set $gh (i32.add (local.get $gh) (i32.const 16)))
      (local.set $rows (i32.add (local.get $rows) (i32.const 4)))
      (br_if $rows (i32.lt_u (local.get $rows) (local.get $end)))))

  ;; One feature: its codes at $codes, its histogram at $o.
  (func (export "hist1") (param $rows i32) (param $m i32) (param $gh i32) (param $codes i32) (param $o i32)
    (local $end i32)
    (if (i32.eqz (local.get $m)) (then (return)))
    (local.set $end (i32.add (local.get $rows) (i32.shl (local.get $m) (i32.const 2))))
    (loop $rows
      (call $add
        (i32.add (local.get $o) (i32.mul (i32.load8_u (i32.add (local.get $codes) (i32.load (local.get $rows)))) (i32.const 24)))
        (f64.load (local.get $gh))
        (f64.load offset=8 (local.get $gh)))
      (local.set $gh (i32.add (local.get $gh) (i32.const 16)))
      (local.set $rows (i32.add (local.get $rows) (i32.const 4)))
      (br_if $rows (i32.lt_u (local.get $rows) (local.get $end)))))

  ;; Stable partition of a node's rows, their gradients moving with them: rows whose code in the split
  ;; feature's column ($col) has flag 1 in the 256-byte $table (every flag 0 or 1) go first, both sides keep
  ;; their order.
  ;; Branch-free: each row is written to both sides and only its own side advances (the left write never
  ;; overtakes the read); the right side waits in the scratch ($srows, $sgh) and is copied back after the left.
  ;; Returns the number of rows that went left.
  (func (export "partition") (param $rows i32) (param $gh i32) (param $n i32) (param $col i32) (param $table i32)
        (param $srows i32) (param $sgh i32) (result i32)
    (local $i i32) (local $w i32) (local $k i32) (local $r i32) (local $v v128) (local $left i32)
    (if (i32.eqz (local.get $n)) (then (return (i32.const 0))))
    (loop $rows
      (local.set $r (i32.load (i32.add (local.get $rows) (i32.shl (local.get $i) (i32.const 2)))))
      (local.set $v (v128.load (i32.add (local.get $gh) (i32.shl (local.get $i) (i32.const 4)))))
      (local.set $left (i32.load8_u (i32.add (local.get $table) (i32.load8_u (i32.add (local.get $col) (local.get $r))))))
      (i32.store (i32.add (local.get $rows) (i32.shl (local.get $w) (i32.const 2))) (local.get $r))
      (v128.store (i32.add (local.get $gh) (i32.shl (local.get $w) (i32.const 4))) (local.get $v))
      (i32.store (i32.add (local.get $srows) (i32.shl (local.get $k) (i32.const 2))) (local.get $r))
      (v128.store (i32.add (local.get $sgh) (i32.shl (local.get $k) (i32.const 4))) (local.get $v))
      (local.set $w (i32.add (local.get $w) (local.get $left)))
      (local.set $k (i32.sub (i32.add (local.get $k) (i32.const 1)) (local.get $left)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $rows (i32.lt_u (local.get $i) (local.get $n))))
    (memory.copy (i32.add (local.get $rows) (i32.shl (local.get $w) (i32.const 2))) (local.get $srows)
      (i32.shl (local.get $k) (i32.const 2)))
    (memory.copy (i32.add (local.get $gh) (i32.shl (local.get $w) (i32.const 4))) (local.get $sgh)
      (i32.shl (local.get $k) (i32.const 4)))
    (local.get $w))

  ;; The sibling by subtraction: parent[k] -= child[k] for $n doubles, two at a time.
  (func (export "subtract") (param $parent i32) (param $child i32) (param $n i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $child) (i32.shl (i32.and (local.get $n) (i32.const -2)) (i32.const 3))))
    (if (i32.lt_u (local.get $child) (local.get $end))
      (then
        (loop $pairs
          (v128.store (local.get $parent)
            (f64x2.sub (v128.load (local.get $parent)) (v128.load (local.get $child))))
          (local.set $parent (i32.add (local.get $parent) (i32.const 16)))
          (local.set $child (i32.add (local.get $child) (i32.const 16)))
          (br_if $pairs (i32.lt_u (local.get $child) (local.get $end))))))
    (if (i32.and (local.get $n) (i32.const 1))
      (then (f64.store (local.get $parent) (f64.sub (f64.load (local.get $parent)) (f64.load (local.get $child))))))))
