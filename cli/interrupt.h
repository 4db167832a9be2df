/*
 * SIGINT and SIGTERM as Terraform handles them.  Until berth starts changing
 * hosts (facts, planning, the confirmation prompt), an interrupt ends berth
 * at once: "berth: interrupted before any change: nothing was changed",
 * exit 130 (143 for SIGTERM).  While an apply runs, the first interrupt
 * raises the level to 1 (start no new step, let the running ones end), a
 * second SIGINT to 2 (abort the running migrations); the scheduler reads the
 * level, and the command exits 130 or 143 after its report.
 */
#ifndef BERTH_CLI_INTERRUPT_H
#define BERTH_CLI_INTERRUPT_H

#include <signal.h>
#include <stdbool.h>

/* 0: none; 1: finish what runs; 2: abort what runs.  Written by the handler. */
extern volatile sig_atomic_t berth_interrupt_level;

/* Installs the handlers (before-change mode).  Cannot fail. */
void berth_interrupt_install(void);

/* From now on interrupts raise the level instead of ending berth. */
void berth_interrupt_acting(void);

/* The exit status for the interrupt received: 130 (SIGINT) or 143 (SIGTERM); 0 if none. */
int berth_interrupt_exit_code(void);

#endif /* BERTH_CLI_INTERRUPT_H */
