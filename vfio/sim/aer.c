// SPDX-License-Identifier: GPL-2.0-only
/*
 * Errors a simulated PCI Express function reports (Advanced Error
 * Reporting). The function logs the error in its AER and Device Status
 * registers; then, standing in for the platform's AER service, the error
 * is reported to the driver bound to the function through its
 * pci_error_handlers, from a work item and with the device lock held, as
 * the PCI core's recovery does. The recovery stops there: the function
 * keeps working, as after an error a driver could recover from.
 */
#include <linux/pci.h>

#include "simpci_internal.h"

/* What the function reports: the bits software can clear in @status. */
static u32 reported(struct simpci_dev *sdev, int status)
{
	__le32 v;

	memcpy(&v, &sdev->w1c[status], sizeof(v));
	return le32_to_cpu(v);
}

static void report_error(struct work_struct *work)
{
	struct simpci_dev *sdev = container_of(work, struct simpci_dev,
					       err_work);
	const struct pci_error_handlers *err;
	pci_channel_state_t state;
	struct pci_driver *drv;
	struct pci_dev *pdev;
	unsigned long flags;

	spin_lock_irqsave(&sdev->lock, flags);
	state = sdev->err_fatal ? pci_channel_io_frozen : pci_channel_io_normal;
	sdev->err_fatal = false;
	spin_unlock_irqrestore(&sdev->lock, flags);

	pdev = simpci_dev_pci(sdev);
	if (!pdev)
		return;
	device_lock(&pdev->dev);
	drv = pdev->dev.driver ? to_pci_driver(pdev->dev.driver) : NULL;
	err = drv ? drv->err_handler : NULL;
	if (err && err->error_detected &&
	    err->error_detected(pdev, state) == PCI_ERS_RESULT_CAN_RECOVER &&
	    err->resume)
		err->resume(pdev);
	device_unlock(&pdev->dev);
	pci_dev_put(pdev);
}

void simpci_aer_init(struct simpci_dev *sdev)
{
	INIT_WORK(&sdev->err_work, report_error);
}

void simpci_aer_exit(struct simpci_dev *sdev)
{
	cancel_work_sync(&sdev->err_work);
}

/**
 * simpci_raise_aer() - the function detects an uncorrectable error
 * @sdev: the device, not locked by the caller
 * @error: one PCI_ERR_UNC_* bit
 *
 * Logs @error in the Uncorrectable Error Status (and in the First Error
 * Pointer when it is the only one) and the Device Status (fatal or not
 * by the function's severity register), and reports it to the bound
 * driver unless the error is masked.
 *
 * Return: 0; -ENODEV when the function has no AER capability, -EINVAL for
 * an error it does not report.
 */
int simpci_raise_aer(struct simpci_dev *sdev, u32 error)
{
	unsigned long flags;
	int pos = sdev->aer_pos, ret = 0;
	bool fatal, report;
	u32 v;

	spin_lock_irqsave(&sdev->lock, flags);
	if (!pos || !sdev->exp_pos) {
		ret = -ENODEV;
	} else if (hweight32(error) != 1 ||
		   !(reported(sdev, pos + PCI_ERR_UNCOR_STATUS) & error)) {
		ret = -EINVAL;
	} else {
		v = simpci_cfg_get(sdev, pos + PCI_ERR_UNCOR_STATUS, 4);
		simpci_cfg_set(sdev, pos + PCI_ERR_UNCOR_STATUS, 4, v | error);
		/* The First Error Pointer names the first one logged. */
		if (!v) {
			v = simpci_cfg_get(sdev, pos + PCI_ERR_CAP, 4);
			v &= ~PCI_ERR_CAP_FEP(~0U);
			simpci_cfg_set(sdev, pos + PCI_ERR_CAP, 4,
				       v | PCI_ERR_CAP_FEP(__ffs(error)));
		}
		fatal = simpci_cfg_get(sdev, pos + PCI_ERR_UNCOR_SEVER, 4) &
			error;
		v = simpci_cfg_get(sdev, sdev->exp_pos + PCI_EXP_DEVSTA, 2);
		v |= fatal ? PCI_EXP_DEVSTA_FED : PCI_EXP_DEVSTA_NFED;
		simpci_cfg_set(sdev, sdev->exp_pos + PCI_EXP_DEVSTA, 2, v);
		report = !(simpci_cfg_get(sdev, pos + PCI_ERR_UNCOR_MASK, 4) &
			   error);
		if (report)
			sdev->err_fatal |= fatal;
	}
	spin_unlock_irqrestore(&sdev->lock, flags);
	if (!ret && report)
		schedule_work(&sdev->err_work);
	return ret;
}
EXPORT_SYMBOL_GPL(simpci_raise_aer);

/**
 * simpci_raise_aer_cor() - the function detects a correctable error
 * @sdev: the device, not locked by the caller
 * @error: one PCI_ERR_COR_* bit
 *
 * Logs @error in the Correctable Error Status and the Device Status. The
 * hardware corrected it: no driver hears of it.
 *
 * Return: 0; -ENODEV when the function has no AER capability, -EINVAL for
 * an error it does not report.
 */
int simpci_raise_aer_cor(struct simpci_dev *sdev, u32 error)
{
	int pos = sdev->aer_pos, ret = 0;
	unsigned long flags;
	u32 v;

	spin_lock_irqsave(&sdev->lock, flags);
	if (!pos || !sdev->exp_pos) {
		ret = -ENODEV;
	} else if (hweight32(error) != 1 ||
		   !(reported(sdev, pos + PCI_ERR_COR_STATUS) & error)) {
		ret = -EINVAL;
	} else {
		v = simpci_cfg_get(sdev, pos + PCI_ERR_COR_STATUS, 4);
		simpci_cfg_set(sdev, pos + PCI_ERR_COR_STATUS, 4, v | error);
		v = simpci_cfg_get(sdev, sdev->exp_pos + PCI_EXP_DEVSTA, 2);
		simpci_cfg_set(sdev, sdev->exp_pos + PCI_EXP_DEVSTA, 2,
			       v | PCI_EXP_DEVSTA_CED);
	}
	spin_unlock_irqrestore(&sdev->lock, flags);
	return ret;
}
EXPORT_SYMBOL_GPL(simpci_raise_aer_cor);
