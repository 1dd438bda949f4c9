/** How the estimate's helper modules add priced lines and unpriced items (see estimate.ts). */
import { PriceEntry } from "./prices";
import { StackResource } from "./stack";

export type CostUnit = "hour" | "GB-month" | "LCU-hour" | "month" | "million invocations";

export interface EstimateSink {
    /** A priced line: `quantityDesired`/`quantityMax` units a month, running `scheduleFraction` of the month. */
    line(r: StackResource, item: string, sku: string, unit: CostUnit, price: PriceEntry, quantityDesired: number, quantityMax: number, scheduleFraction?: number): void;
    /**
     * Something that costs money but cannot be priced from the stack alone; `reason` says what would
     * price it. `byUse`: billed by use (the usage is the unknown, not the price).
     */
    unpriced(r: StackResource, item: string, reason: string, byUse?: boolean): void;
}
