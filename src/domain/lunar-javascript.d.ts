// Minimal types for the parts of lunar-javascript (a devDependency, untyped) that
// scripts/gen-holidays.ts uses to generate src/domain/holidays-cn.ts. Nothing at run time imports it.
declare module 'lunar-javascript' {
  export interface Holiday {
    /** 'YYYY-MM-DD' */
    getDay(): string;
    /** e.g. '国庆节' */
    getName(): string;
    /** true for a 调休 make-up working day, false for a day off */
    isWork(): boolean;
    /** 'YYYY-MM-DD' of the festival the day belongs to */
    getTarget(): string;
  }
  export const HolidayUtil: {
    getHoliday(ymd: string): Holiday | null;
    getHoliday(year: number, month: number, day: number): Holiday | null;
    getHolidays(year: number): Holiday[];
  };
}
