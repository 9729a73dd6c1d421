/**
 * The canvassing ROI formulas, shared by the pilot report (measured inputs) and onboarding's projection (the
 * contractor's estimates). docs/commercial/roi_calculator.md states them; money in cents.
 */
export interface CanvassingCost {
  knocks: number;
  crewHours: number;
  costPerKnockCents: number;
  crewHourCostCents: number;
}

/** cost = knocks x cost per knock + crew hours x crew hour cost. */
export function canvassingCostCents(c: CanvassingCost): number {
  return c.knocks * c.costPerKnockCents + c.crewHours * c.crewHourCostCents;
}

/** ROI (%) = (incremental revenue x margin - cost) / cost x 100; null without a cost. */
export function roiPct(incrementalRevenueCents: number, costCents: number, margin: number): number | null {
  return costCents > 0 ? ((incrementalRevenueCents * margin - costCents) / costCents) * 100 : null;
}
