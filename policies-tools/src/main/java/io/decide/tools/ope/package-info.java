/**
 * Off-policy evaluation of logged bandit data: a fast numeric CSV reader, the Open Bandit Pipeline's estimators
 * (DM, IPW, SNIPW, DR, SNDR, Switch-DR, DR-OS) with bootstrap or normal confidence intervals, and the
 * arithmetic-mean and harmonic-mean propensity checks. Formulas: {@code docs/OPE.md}.
 */
package io.decide.tools.ope;
